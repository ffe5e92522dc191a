import 'subdir'
