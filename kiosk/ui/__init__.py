"""The kiosk shell (PySide6): the window visitors meet, hosting the Panda3D guide, with captions, cards and menus."""
