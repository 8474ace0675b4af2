package imaging

// JPEGOrientation exposes jpegOrientation to the external tests.
var JPEGOrientation = jpegOrientation

// Orient exposes orient to the external tests.
var Orient = orient
