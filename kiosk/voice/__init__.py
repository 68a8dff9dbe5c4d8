"""Ears and mouth: audio in, endpointing, recognition, synthesis, visemes."""
