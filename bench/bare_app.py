"""The baseline page for `bench.first_minutes` and `bench.cold_start`: a bare Streamlit app with
one image."""

import streamlit as st
from PIL import Image

st.title("Bare")
st.image(Image.new("RGB", (512, 512), (200, 120, 60)), width="stretch")
