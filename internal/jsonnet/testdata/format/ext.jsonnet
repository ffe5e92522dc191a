std.extVar('label')
