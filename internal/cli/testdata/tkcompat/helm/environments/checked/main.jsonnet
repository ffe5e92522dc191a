// A chart with values.schema.json, with values that pass it (and its `required` owner).
{
  checked: std.native('helmTemplate')('checked', '../../charts/checked', {
    calledFrom: std.thisFile,
    values: { port: 9443, mode: 'lenient', owner: 'team-a' },
  }),
}
