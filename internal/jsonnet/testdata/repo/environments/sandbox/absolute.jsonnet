{
  x: import '/etc/hostname',
}
