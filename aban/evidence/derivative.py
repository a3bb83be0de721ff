"""Publishable copies of photos and portraits: re-encoded, without any metadata.

A photo can carry the place it was taken (EXIF GPS), the camera's serial number, the
time, the editing software, comments, XMP and an ICC profile: any of them can lead
back to whoever took or passed it on. The copy is built from the pixels alone: the
image is decoded, turned upright (EXIF orientation), flattened onto white if it has
transparency, scaled down to at most :data:`MAX_SIDE` pixels a side (which also
blurs the sensor noise that can identify one camera) and encoded as a fresh JPEG
that holds no EXIF, XMP, ICC profile or comment. Other evidence kinds (videos,
certificates, testimonies, documents) get no copy: they are not published as files.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from aban.errors import DerivativeError

MEDIA_TYPE = "image/jpeg"
#: Longest side of a publishable copy, in pixels.
MAX_SIDE = 2048
#: Larger originals get no copy (they are decoded in memory).
MAX_INPUT_BYTES = 256 << 20
JPEG_QUALITY = 88


def _flatten(image: Image.Image) -> Image.Image:
    """The image as plain RGB, transparent parts on white."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if not has_alpha:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")


def _decode(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                return _flatten(upright)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as err:
            raise DerivativeError(
                "the image has too many pixels to re-encode safely"
            ) from err
        except (OSError, ValueError, SyntaxError) as err:
            raise DerivativeError(
                "not an image format Pillow reads (convert it to JPEG or PNG first)"
            ) from err


def strip_metadata(
    data: bytes, *, max_side: int = MAX_SIDE, quality: int = JPEG_QUALITY
) -> bytes:
    """A JPEG of the image's pixels only: no EXIF, GPS, XMP, ICC or comments.

    Args:
        data: the original image file (any format Pillow reads).
        max_side: the copy's longest side in pixels (smaller images keep their size).
        quality: JPEG quality, 1-95.

    Returns:
        The JPEG bytes.

    Raises:
        DerivativeError: the data is too large, not an image, or too many pixels.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise DerivativeError("the image file is too large to re-encode")
    pixels = _decode(data)
    pixels.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A new image from the raw pixels carries no info dictionary at all, so nothing
    # of the original's metadata can reach the encoder.
    clean = Image.frombytes("RGB", pixels.size, pixels.tobytes())
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()
