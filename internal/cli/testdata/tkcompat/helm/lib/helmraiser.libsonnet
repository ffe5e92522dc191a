// A small stand-in for grafana/jsonnet-libs' tanka-util helm wrapper: new(calledFrom) binds the
// file the chart paths are relative to; template() renders through std.native('helmTemplate')
// and labels every top-level object as rendered by Helmraiser.
{
  new(calledFrom):: {
    template(name, chart, conf={})::
      local objects = std.native('helmTemplate')(name, chart, conf { calledFrom: calledFrom });
      std.mapWithKey(
        function(_, o) o { metadata+: { labels+: { 'app.kubernetes.io/managed-by': 'Helmraiser' } } },
        objects
      ),
  },
}
