local loop(n) = loop(n + 1) + 1;
{
  x: loop(0),
}
