"""Plaza's feed: data model, media storage, feed queries. Knows nothing of LLMs or Streamlit."""
