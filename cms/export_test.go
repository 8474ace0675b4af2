package cms

import "image"

// ProcessImage exposes processImage to the external tests and benchmarks.
func ProcessImage(data []byte) (width, height int, err error) {
	img, err := processImage(data)
	if err != nil {
		return 0, 0, err
	}
	return img.Width, img.Height, nil
}

// ProcessImageVariants exposes processImage's variants and their bytes.
func ProcessImageVariants(data []byte) ([]MediaVariant, [][]byte, error) {
	img, err := processImage(data)
	if err != nil {
		return nil, nil, err
	}
	return img.Variants, img.Data, nil
}

// JPEGOrientation exposes jpegOrientation to the external tests.
var JPEGOrientation = jpegOrientation

// Orient exposes orient to the external tests.
func Orient(img image.Image, o int) image.Image { return orient(img, o) }
