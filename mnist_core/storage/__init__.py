"""What Digit Lab keeps: the class's drawings in one database (SQLite or PostgreSQL).

No Streamlit and no TensorFlow: the pages and the command line read the same store.
"""
