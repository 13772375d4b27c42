import { mayEnter } from './embedded-postgres.layout';

const postgres = { uid: 101, gid: 104 };

describe('mayEnter', () => {
  it('lets anyone enter a 0755 directory root owns', () => {
    expect(mayEnter({ uid: 0, gid: 0, mode: 0o40755 }, postgres)).toBe(true);
  });

  it('keeps the postgres user out of a 0700 directory root owns', () => {
    expect(mayEnter({ uid: 0, gid: 0, mode: 0o40700 }, postgres)).toBe(false);
  });

  it("uses the group's bits for a member of the directory's group", () => {
    expect(mayEnter({ uid: 0, gid: 104, mode: 0o40750 }, postgres)).toBe(true);
    expect(mayEnter({ uid: 0, gid: 104, mode: 0o40701 }, postgres)).toBe(false);
  });

  it("uses only the owner's bits for the owner, as the kernel does", () => {
    expect(mayEnter({ uid: 101, gid: 0, mode: 0o40700 }, postgres)).toBe(true);
    expect(mayEnter({ uid: 101, gid: 104, mode: 0o40077 }, postgres)).toBe(false);
  });
});
