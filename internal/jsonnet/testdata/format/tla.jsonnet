function(label) label
