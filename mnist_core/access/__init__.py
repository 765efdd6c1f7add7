"""Who is who and who may do what, decided on the server: the teacher code and its guard
(roles), the teacher's signed pass and the student id (cookies), and their HTTP side
(cookie_routes). TensorFlow-free, as everything a page calls is."""
