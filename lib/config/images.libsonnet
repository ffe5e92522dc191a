// Image lookups over images.json, the one data file that pins every image of the platform.
local images = import 'images.json';

{
  // service returns the image of a service at a version (e.g. 'order-service', 'v1.9').
  service(name, version)::
    local versions = std.get(images.services, name, error 'images.json has no service %s' % name);
    std.get(versions, version, error 'images.json has no image of %s at version %s' % [name, version]),

  // platform returns the image of a third-party component.
  platform(name):: std.get(images.platform, name, error 'images.json has no platform image %s' % name),

  // tag returns the tag of an image reference ('quay.io/prometheus/prometheus:v3.5.0' -> 'v3.5.0').
  tag(image)::
    local segments = std.split(image, '/');
    std.split(segments[std.length(segments) - 1], ':')[1],

  // repository returns an image reference without its tag.
  repository(image):: std.substr(image, 0, std.length(image) - std.length(self.tag(image)) - 1),
}
