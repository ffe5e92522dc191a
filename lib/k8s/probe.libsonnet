// Probes: handlers and the timing presets of readiness, liveness and startup probes.
{
  http(path, port, scheme='HTTP'):: { httpGet: { path: path, port: port, scheme: scheme } },
  grpc(port, service=null):: { grpc: { port: port, [if service != null then 'service']: service } },
  tcp(port):: { tcpSocket: { port: port } },
  exec(command):: { exec: { command: command } },

  // readiness takes a pod out of its Service quickly.
  readiness(handler):: handler {
    periodSeconds: 10,
    timeoutSeconds: 2,
    successThreshold: 1,
    failureThreshold: 3,
  },
  // liveness restarts a stuck container, slowly: a busy process must not be killed.
  liveness(handler):: handler {
    periodSeconds: 20,
    timeoutSeconds: 5,
    successThreshold: 1,
    failureThreshold: 6,
  },
  // startup holds the other probes back while a process starts (up to periodSeconds × failureThreshold).
  startup(handler, seconds=120):: handler {
    periodSeconds: 5,
    timeoutSeconds: 2,
    failureThreshold: std.ceil(seconds / 5),
  },
}
