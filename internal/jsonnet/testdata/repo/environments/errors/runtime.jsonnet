local fail = import 'fail.libsonnet';
{
  ok: fail.check(1),
  bad: fail.check(5),
}
