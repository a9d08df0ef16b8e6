// Package imgformat reads BMP, TIFF and WebP images without registering
// anything in the standard library's image package.
//
// golang.org/x/image/bmp, tiff and webp register their decoders with
// image.RegisterFormat in their init functions, so importing them changes
// what image.Decode does for every program that imports flasky, and keeps
// the decoders linked into programs that never decode an image (issue 14).
// This package is written from the formats' specifications (the Windows
// BITMAPINFOHEADER family for BMP, TIFF 6.0, RFC 9649 for the WebP
// container) and uses only packages that register nothing: the VP8 and
// VP8L bitstream decoders, the CCITT and TIFF-LZW readers of
// golang.org/x/image, and compress/zlib.
//
// Each format has a DecodeXConfig, which reads only the header, and a
// DecodeX. A caller that accepts untrusted input checks the size that
// DecodeXConfig reports before calling DecodeX, as flasky.DecodeImage
// does: DecodeX allocates the picture that the header declares. Apart
// from that picture, allocations are bounded by the input's real length,
// never by a size field, and a corrupt file gives an error, not a panic.
//
// The images returned are of the types golang.org/x/image's decoders
// return for the same files, with the same pixels.
package imgformat
