{
  value: error 'boom from the library',
}
