{
  f: function(x) x,
}
