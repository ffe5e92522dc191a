{
  a: missing,
}
