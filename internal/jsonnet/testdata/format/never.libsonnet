'%s' % ['never']
