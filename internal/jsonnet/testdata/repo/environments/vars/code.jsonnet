{ fromFile: [1, 2] }
