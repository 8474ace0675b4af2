package main

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Demo images are drawn here rather than shipped: a night-sky cover and a
// 2:3 pin with the post's title, the way a blogger's pin graphics look.

// demoPalettes are the top and bottom colours of each demo post's sky.
var demoPalettes = [][2]color.RGBA{
	{{0x2b, 0x2d, 0x5c, 0xff}, {0xc9, 0x8b, 0xb9, 0xff}},
	{{0x1d, 0x3b, 0x53, 0xff}, {0x7f, 0xb6, 0xc9, 0xff}},
	{{0x3a, 0x2c, 0x4f, 0xff}, {0xf2, 0xb5, 0x8a, 0xff}},
	{{0x22, 0x30, 0x45, 0xff}, {0x9c, 0xa8, 0xd9, 0xff}},
}

// demoSky draws a w x h gradient sky with a crescent moon and stars.
func demoSky(w, h int, palette [2]color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	top, bottom := palette[0], palette[1]
	mix := func(a, b uint8, t float64) uint8 { return uint8(float64(a) + (float64(b)-float64(a))*t) }
	moonX, moonY, moonR := float64(w)*0.72, float64(h)*0.22, float64(min(w, h))*0.12
	for y := 0; y < h; y++ {
		t := float64(y) / float64(h-1)
		row := color.RGBA{mix(top.R, bottom.R, t), mix(top.G, bottom.G, t), mix(top.B, bottom.B, t), 0xff}
		for x := 0; x < w; x++ {
			c := row
			dx, dy := float64(x)-moonX, float64(y)-moonY
			inMoon := dx*dx+dy*dy < moonR*moonR
			cx, cy := dx-moonR*0.45, dy+moonR*0.2
			if inMoon && cx*cx+cy*cy > moonR*moonR*0.8 {
				c = color.RGBA{0xfb, 0xf3, 0xd5, 0xff}
			}
			img.SetRGBA(x, y, c)
		}
	}
	// A fixed field of small stars in the upper half.
	rnd := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	for range w * h / 20000 {
		x, y := rnd.IntN(w-3), rnd.IntN(h/2)
		dx, dy := float64(x)-moonX, float64(y)-moonY
		if dx*dx+dy*dy < moonR*moonR*1.5 {
			continue
		}
		for sy := range 3 {
			for sx := range 3 {
				img.SetRGBA(x+sx, y+sy, color.RGBA{0xff, 0xfb, 0xe8, 0xff})
			}
		}
	}
	return img
}

// demoCover returns a 1600x900 JPEG cover.
func demoCover(i int) ([]byte, error) {
	return encodeDemo(demoSky(1600, 900, demoPalettes[i%len(demoPalettes)]))
}

// demoPin returns a 1000x1500 JPEG pin with title set in large type on a
// light band.
func demoPin(i int, title string) ([]byte, error) {
	img := demoSky(1000, 1500, demoPalettes[i%len(demoPalettes)])
	band := image.Rect(60, 760, 940, 1340)
	for y := band.Min.Y; y < band.Max.Y; y++ {
		for x := band.Min.X; x < band.Max.X; x++ {
			img.SetRGBA(x, y, color.RGBA{0xfd, 0xfa, 0xf3, 0xff})
		}
	}
	f, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, err
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 64, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	defer face.Close()
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{0x2b, 0x2d, 0x5c, 0xff}), Face: face}
	lines := wrapWords(d, title, band.Dx()-80)
	lineHeight := 80
	y := band.Min.Y + (band.Dy()-lineHeight*len(lines))/2 + 58
	for _, line := range lines {
		width := d.MeasureString(line).Round()
		d.Dot = fixed.P(band.Min.X+(band.Dx()-width)/2, y)
		d.DrawString(line)
		y += lineHeight
	}
	return encodeDemo(img)
}

// wrapWords breaks s into lines no wider than max pixels.
func wrapWords(d *font.Drawer, s string, max int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		try := strings.TrimSpace(line + " " + w)
		if line != "" && d.MeasureString(try).Round() > max {
			lines = append(lines, line)
			line = w
			continue
		}
		line = try
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines[:min(len(lines), 6)]
}

func encodeDemo(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
	return b.Bytes(), err
}
