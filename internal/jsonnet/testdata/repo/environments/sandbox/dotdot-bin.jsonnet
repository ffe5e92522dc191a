{
  x: importbin '../../../outside.bin',
}
