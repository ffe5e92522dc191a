std.native('helmTemplate')('x', './charts/x', {})
