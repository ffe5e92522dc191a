{ label: 'app=%s' % 'x' }
