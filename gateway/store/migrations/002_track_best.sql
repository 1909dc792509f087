-- The best view of each tracked person (box, score, time; never an image of them).
ALTER TABLE tracks ADD COLUMN best TEXT;
