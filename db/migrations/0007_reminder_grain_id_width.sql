-- 0007: room for our grain ids in the reminders table.
-- A reminder row is keyed by the full grain id ("account/{tenant}/{account}"): a 40-character tenant
-- and a 200-character account id (GrainKeys.MaxLocalIdLength) make up to 249 characters, more than
-- the 150 of 0005. 512 matches the key column of grain storage.
alter table orleansreminderstable alter column grainid type varchar(512);
