-- Hospital sample data for the CLARUS privacy proxy (apps/privacy-proxy).
-- Run as the proxy's service user on the upstream database, e.g.
--   createdb hospital && psql -d hospital -f policies/samples/hospital/seed.sql
CREATE TABLE IF NOT EXISTS patients (
  id          integer PRIMARY KEY,
  name        text NOT NULL,
  ssn         text NOT NULL,
  birth_date  date NOT NULL,
  age         integer NOT NULL,
  city        text NOT NULL
);

CREATE TABLE IF NOT EXISTS visits (
  id          integer PRIMARY KEY,
  patient_id  integer NOT NULL REFERENCES patients (id),
  visited_on  date NOT NULL,
  diagnosis   text NOT NULL
);

INSERT INTO patients (id, name, ssn, birth_date, age, city) VALUES
  (1, 'Anna de Vries',   '123-45-6789', '1961-03-14', 64, 'Eindhoven'),
  (2, 'Bram Jansen',     '234-56-7890', '1975-07-02', 50, 'Utrecht'),
  (3, 'Carla Bakker',    '345-67-8901', '1988-11-23', 37, 'Eindhoven'),
  (4, 'Daan Visser',     '456-78-9012', '1992-01-30', 33, 'Amsterdam'),
  (5, 'Eva Smit',        '567-89-0123', '2001-09-09', 24, 'Utrecht')
ON CONFLICT (id) DO NOTHING;

INSERT INTO visits (id, patient_id, visited_on, diagnosis) VALUES
  (1, 1, '2026-01-12', 'hypertension'),
  (2, 1, '2026-03-03', 'hypertension'),
  (3, 2, '2026-02-20', 'asthma'),
  (4, 3, '2026-04-15', 'migraine'),
  (5, 5, '2026-05-01', 'asthma')
ON CONFLICT (id) DO NOTHING;
