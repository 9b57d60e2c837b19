package images

// PlainJPEG reports a JPEG made of nothing but what shows its pixels:
// quantisation and Huffman tables, a baseline, extended or progressive
// frame, restart intervals and scans, and its end marker as its last two
// bytes. Any application segment (EXIF, XMP, ICC profile, JFIF, Adobe),
// comment or other marker, anything after the end, or a structure that
// does not hold together makes it not plain. Such a file carries no
// metadata to strip, so keeping its bytes reveals nothing its pixels do
// not: what RecCollection's own JPEG variants are (image/jpeg writes no
// other segment), and the one kind of upload ProcessKeeping keeps as it
// is.
func PlainJPEG(b []byte) bool {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return false
	}
	i := 2
	for {
		if i+1 >= len(b) || b[i] != 0xFF {
			return false
		}
		m := b[i+1]
		switch m {
		case 0xFF: // a fill byte before a marker
			i++
			continue
		case 0xD9: // end of image
			return i+2 == len(b)
		case 0xDB, 0xC4, 0xDD, 0xC0, 0xC1, 0xC2, 0xDA:
		default:
			return false
		}
		i += 2
		if i+2 > len(b) {
			return false
		}
		n := int(b[i])<<8 | int(b[i+1])
		if n < 2 || i+n > len(b) {
			return false
		}
		i += n
		if m != 0xDA {
			continue
		}
		// The scan's entropy-coded data runs to the next marker: 0xFF
		// followed by neither a stuffed zero nor a restart marker.
		for {
			if i+1 >= len(b) {
				return false
			}
			if b[i] == 0xFF && b[i+1] != 0x00 && (b[i+1] < 0xD0 || b[i+1] > 0xD7) {
				break
			}
			i++
		}
	}
}
