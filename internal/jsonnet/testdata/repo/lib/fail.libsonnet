{
  check(x)::
    if x > 1 then error 'value %d is too large' % x
    else x,
}
