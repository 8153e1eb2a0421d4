"""Definitions of the shipped Moroccan LMIS structures (see README.md in this folder)."""
