{
  name: 'common',
}
