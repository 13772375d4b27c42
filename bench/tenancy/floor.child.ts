import { serveAsChildServer } from '../support/child-server';
import { startFloorServer } from './floor-server';

serveAsChildServer(startFloorServer);
