// PersistentVolumeClaim (v1).
local meta = import 'meta.libsonnet';

{
  new(name, namespace, size, storageClassName=null, accessModes=['ReadWriteOnce'])::
    meta.namespaced('v1', 'PersistentVolumeClaim', name, namespace) + {
      spec: {
        accessModes: accessModes,
        [if storageClassName != null then 'storageClassName']: storageClassName,
        resources: { requests: { storage: size } },
      },
    },
}
