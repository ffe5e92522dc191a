{
  x: importstr '../../../outside.txt',
}
