package golden

// GitFixture exposes gitFixture to the external tests of this package.
var GitFixture = gitFixture
