// The web chart through the helmraiser wrapper: helpers, includes, tpl, numbers through JSON,
// a null value deleting a chart default, .helmignore, NOTES.txt left out.
local helm = (import 'helmraiser.libsonnet').new(std.thisFile);
{
  web: helm.template('shop', '../../charts/web', {
    values: {
      replicaCount: 3,
      image: { tag: '2.7.2' },
      cacheEntries: 2500000,
      maxBodyBytes: 123456789,
      resources: { limits: null },
      extraEnv: { LOG_LEVEL: 'debug', WORKERS: 16 },
      podAnnotations: { 'example.org/team': 'storefront' },
    },
  }),
  // The same chart rendered as another release straight through the native function, with
  // options spelt in other cases (keys match case-insensitively; unknown ones are ignored).
  admin: std.native('helmTemplate')('admin-web', '../../charts/web', {
    CALLEDFROM: std.thisFile,
    Values: { service: { type: 'NodePort' } },
    unknownOption: 'ignored',
  }),
}
