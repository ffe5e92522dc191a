// Number formatting for the places that need a number as a string (environment variables,
// Dapr metadata, PromQL and analysis conditions): integers as integers, other numbers as the
// shortest plain decimal that reads back as the same number, so 0.1 renders as "0.1" and not
// "0.10000000000000001".
{
  decimal(x)::
    assert std.isNumber(x) : 'decimal needs a number, got %s' % std.type(x);
    if x == std.floor(x) && std.abs(x) < 1e15 then
      '%d' % x
    else
      local plain = [
        c
        for c in [std.format('%.' + p + 'f', [x]) for p in std.range(1, 20)]
        if std.parseJson(c) == x
      ];
      if std.length(plain) > 0 then plain[0] else std.toString(x),

  // isPositiveDuration tells whether s is a positive Go duration of one unit ('30s', '1m',
  // '250ms', '1h').
  isPositiveDuration(s)::
    local units = ['ms', 's', 'm', 'h'];
    local unit = [u for u in units if std.endsWith(s, u) && std.length(s) > std.length(u)];
    local digits(x) = std.length(x) > 0 && std.all([std.member('0123456789', ch) for ch in std.stringChars(x)]);
    std.isString(s)
    && std.length(unit) > 0
    && (
      local u = if std.endsWith(s, 'ms') then 'ms' else unit[0];
      local n = std.substr(s, 0, std.length(s) - std.length(u));
      digits(n) && std.parseInt(n) > 0
    ),
}
