"""Operations: paths, configuration, logging, doctor."""

from kiosk.ops.paths import cache_dir, data_dir, demo_pack_path

__all__ = ["cache_dir", "data_dir", "demo_pack_path"]
