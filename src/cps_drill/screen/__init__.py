"""The screen: the one module that draws (render), how answers are read (keys) and the
modes that decide both (modes)."""
