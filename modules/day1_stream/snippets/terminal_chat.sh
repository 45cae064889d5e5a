printf 'What is streaming?\nO que é streaming?\n' | python modules/day1_stream/snippets/terminal_chat.py
