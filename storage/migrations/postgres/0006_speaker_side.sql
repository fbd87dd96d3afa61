-- Whom a claim's speaker speaks for (an entity id: "gpe:china" for a
-- spokesperson of China's foreign ministry, the company for its chief
-- executive), read from titles, appositions and organisation membership at
-- extraction time and compared by the novelty step.
ALTER TABLE claims ADD COLUMN speaker_side TEXT;
ALTER TABLE claim_mentions ADD COLUMN speaker_side TEXT;
