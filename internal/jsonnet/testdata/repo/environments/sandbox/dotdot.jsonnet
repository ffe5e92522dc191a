// climbs out of the root
local x = 1;
import '../../../etc/passwd'
