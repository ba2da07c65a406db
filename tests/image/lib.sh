# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the image tests: the image built by tests/image/build.sh.
. "$BZ_SOURCE_DIR/tests/integration/lib.sh"
IMAGE_OUT="$BZ_BUILD_DIR/image-out"
IMAGE="$IMAGE_OUT/bzkiosk-arm64.img"

need_tools() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null || skip "$tool is missing: tools/deps.sh image (tools/packages-image.txt)"
    done
}

need_image() {
    [ -f "$IMAGE" ] && [ -d "$IMAGE_OUT/rootfs/usr/bin" ] ||
        skip "no image at $IMAGE: the test image/build did not run or failed"
}

# part_extract N FILE: copies partition N of the image into FILE.
part_extract() {
    local start size
    start=$(sfdisk -J "$IMAGE" | python3 -c "import json,sys; p=json.load(sys.stdin)['partitiontable']['partitions'][$1-1]; print(p['start'], p['size'])")
    size=${start#* } start=${start% *}
    dd if="$IMAGE" of="$2" bs=512 skip="$start" count="$size" conv=sparse status=none
}
