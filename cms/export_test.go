package cms

// ProcessImage exposes processImage to the external tests and benchmarks.
func ProcessImage(data []byte) (width, height int, err error) {
	img, err := processImage(data)
	if err != nil {
		return 0, 0, err
	}
	return img.Width, img.Height, nil
}

// JPEGOrientation exposes jpegOrientation to the external tests.
var JPEGOrientation = jpegOrientation
