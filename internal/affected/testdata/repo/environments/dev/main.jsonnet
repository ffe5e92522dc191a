local app = import 'app.libsonnet';
{
  deployment: app.new('web', 1),
}
