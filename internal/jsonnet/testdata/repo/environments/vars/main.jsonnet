function(tlaStr, tlaCode) {
  ext: std.extVar('ext'),
  extCode: std.extVar('extCode'),
  tlaStr: tlaStr,
  tlaCode: tlaCode,
}
