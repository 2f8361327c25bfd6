"""The Qt layer: a thin GUI over domain, storage and documents."""
