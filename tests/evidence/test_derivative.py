"""Publishable copies: every piece of metadata is gone, the pixels stay."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from aban.errors import DerivativeError
from aban.evidence.derivative import MAX_SIDE, strip_metadata

CANARIES = (b"ZqxCanaryCam", b"ZqxCommentCanary", b"ZqxXmpCanary", b"ZqxPngText")
GPS_IFD = 0x8825


def exif_jpeg(size: tuple[int, int] = (64, 48), orientation: int = 1) -> bytes:
    """A JPEG with EXIF (camera, GPS position, orientation), a comment, XMP, ICC."""
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "ZqxCanaryCam"
    exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (51.0, 25.0, 0.0)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        exif=exif,
        comment=b"ZqxCommentCanary",
        icc_profile=icc,
        xmp=b"<x:xmpmeta>ZqxXmpCanary</x:xmpmeta>",
    )
    return out.getvalue()


def test_exif_gps_comment_xmp_and_icc_are_gone() -> None:
    original = exif_jpeg()
    with Image.open(io.BytesIO(original)) as before:
        # the input really carries what must go: the test can fail
        assert dict(before.getexif().get_ifd(GPS_IFD))[1] == "N"
        assert {"exif", "comment", "xmp", "icc_profile"} <= set(before.info)
    copy = strip_metadata(original)
    for marker in (*CANARIES, b"Exif", b"ICC_PROFILE", b"http://ns.adobe.com"):
        assert marker not in copy
    assert b"\xff\xfe" not in copy.split(b"\xff\xda", 1)[0]  # no COM segment
    with Image.open(io.BytesIO(copy)) as after:
        assert after.format == "JPEG" and after.mode == "RGB"
        assert dict(after.getexif()) == {}
        assert not {"exif", "comment", "xmp", "icc_profile"} & set(after.info)
        assert after.size == (64, 48)
        r, g, b = after.getpixel((32, 24))  # type: ignore[misc]
        assert abs(r - 10) < 8 and abs(g - 120) < 8 and abs(b - 200) < 8


def test_orientation_is_applied_before_it_is_dropped() -> None:
    copy = strip_metadata(exif_jpeg((64, 48), orientation=6))
    with Image.open(io.BytesIO(copy)) as after:
        assert after.size == (48, 64)


def test_png_text_and_transparency() -> None:
    image = Image.new("RGBA", (20, 10), (0, 0, 0, 0))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "ZqxPngText")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    assert b"ZqxPngText" in out.getvalue()
    copy = strip_metadata(out.getvalue())
    assert b"ZqxPngText" not in copy
    with Image.open(io.BytesIO(copy)) as after:
        assert after.getpixel((5, 5)) == (255, 255, 255)  # flattened on white


def test_large_images_are_scaled_down() -> None:
    out = io.BytesIO()
    Image.new("L", (MAX_SIDE * 2, 100)).save(out, "PNG")
    with Image.open(io.BytesIO(strip_metadata(out.getvalue()))) as after:
        assert after.size == (MAX_SIDE, 50)
    with Image.open(io.BytesIO(strip_metadata(out.getvalue(), max_side=300))) as a:
        assert a.size == (300, 7)


def test_not_an_image() -> None:
    with pytest.raises(DerivativeError, match="^not an image format Pillow reads"):
        strip_metadata(b"%PDF-1.7 not a photo")
