local names = import 'lib/names.libsonnet';

names.bad({})
