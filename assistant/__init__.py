"""Plaza's chat brain: providers, the LangChain agent and its tools. Knows nothing of Streamlit."""
