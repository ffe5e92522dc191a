{
  a: std.native('parseJson')('{'),
}
